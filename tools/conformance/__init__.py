"""googleapiclient's own test suite, run against static packages this generator made.

``python tools/conformance`` (``make conformance``) is the driver (``__main__``);
``route`` is the pytest plugin that sends ``build_from_document`` (and so
``build``) to the generated packages for exactly the documents they were made from.
"""
