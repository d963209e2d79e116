"""The sites of the offline web the Browser shows, each generated from the phone's seed."""
