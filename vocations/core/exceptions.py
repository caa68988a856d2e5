class ReferenceDataError(Exception):
    """A reference file is missing, corrupt or partial. The message is for people, in French."""


class ImportFileError(Exception):
    """An uploaded or imported file cannot be read at all (wrong format, columns, encoding).

    Line-level problems are reported as a list of errors instead, see each importer.
    """
