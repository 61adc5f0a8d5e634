"""The one exception the reading layer raises for a file it will not read."""


class FileRejected(Exception):
    """An upload that cannot be read safely or sensibly.

    `code` is a stable identifier for programs (``too_large``, ``zip_bomb``, ``bad_encoding``…);
    `message` is plain English for the person who uploaded the file, naming the sheet,
    row or line when that helps them fix it.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"FileRejected({self.code!r}, {self.message!r})"
