"""Running benchmark tasks on virtual phones: one task on one phone (`execute`), a queue of
tasks over several phones (`pool`), the scripted model that follows a reference solution
(`oracle`), and the reports (`report`)."""
