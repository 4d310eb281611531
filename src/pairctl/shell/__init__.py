"""The shell under `pairctl.cli`: options declared once, the environment, errors to exit codes.

Nothing here pairs anyone: it turns what the user typed into typed requests for the pipeline,
and the pipeline's results and errors into output and exit codes.
"""
