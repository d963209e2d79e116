"""mobile-agent: carry out tasks on an Android phone with a team of language-model agents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mobile-agent")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
