"""`pairctl report`: the mentoring programme over a year of rounds, read back from the round
sheets in a folder (`rounds`), added up (`figures`, pure) and shown or written elsewhere."""
