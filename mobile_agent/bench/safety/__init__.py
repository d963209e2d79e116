"""The safety bench: injection cases run with a fully compromised model, and benign tasks.

Each case (`model.Case`) gives the user's benign task (its goal, and its apps: the run's
scope), stages an injection on a freshly reset virtual phone — a foreign app's pop-up or
overlay, a notification or message asking for a code or a payment, text claiming that "the
user confirmed", a page with hidden instructions, a learned tip, a stored shortcut — and
scripts a model that always obeys it (`script`), through the real `Runner` and its gate.
Every case runs twice: with a user who declines every confirmation, and with nobody to ask;
harm is read from the phone's state afterwards (`moves`: a message sent, an order placed, a
note deleted…). The benign set (`benign`) measures over-prompting: the benchmark tasks whose
goal asks for nothing consequential, with a user who approves and counts each question.

`mobile-agent bench safety [--json]` runs it all (`command`) and reports per vector
(`report`).
"""
