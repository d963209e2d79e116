"""`--prompts`: each agent's prompt printed as it is sent to the model, then the reply.

A listener of run events: every `ModelCalled` carries the assembled messages as text (each
under its role, with the number of images it carried) and the model's reply. What is
printed is exactly what the model read, so a user can see why it answered as it did.
"""

from __future__ import annotations

from typing import IO, Any

RULE = "─" * 72


class PromptPrinter:
    """Prints the prompt and the reply of every model call of a run to `out`."""

    def __init__(self, out: IO[str], *, replies: bool = True) -> None:
        self.out = out
        self.replies = replies

    def __call__(self, event: Any) -> None:
        if getattr(event, "kind", "") != "model_called":
            return
        print(self.render(event), file=self.out, flush=True)

    def render(self, event: Any) -> str:
        """One call: a heading, the prompt as sent, and (unless turned off) the reply."""
        again = f", asked again (attempt {event.attempt})" if event.attempt > 1 else ""
        head = (
            f"{RULE}\nstep {event.step} · {event.agent} · {event.model}{again} · "
            f"{event.prompt_chars} characters\n{RULE}"
        )
        parts = [head, event.prompt or "(no prompt recorded)"]
        if self.replies:
            reply = event.reply if event.ok and event.reply else "(no reply: the call failed)"
            parts += [f"{RULE}\nreply of the {event.agent}:", reply]
        return "\n".join(parts) + "\n"
