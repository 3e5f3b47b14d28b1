"""Hand-run quality tools (mutation testing, the planted-bug check): see tools/README.md."""
