"""`pairctl announce`: introduce each group by email, from a round's pairing sheet.

Reading the sheet (`sheet`), composing the messages (`compose`, pure, with the default
template in `template` and the calendar invitation in `invite`), writing them to an outbox
folder (`outbox`) and sending what that folder holds (`send`) are separate steps, so that
the messages can be read before anything leaves the machine.
"""
