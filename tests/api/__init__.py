"""The Python API: `Agent` and `Device` on the virtual phone."""
