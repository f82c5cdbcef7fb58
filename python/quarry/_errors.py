"""quarry's exceptions: one class per status code of the C++ API, all under quarry.Error."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class Diagnostic:
    """One located message: where (file, 1-based line and column, byte offset) and what."""

    file: str
    line: int
    column: int
    byte_offset: Optional[int]
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line or None, self.column or None) if x)
        return f"{where}: {self.severity}: {self.message}" if where else self.message


class Error(Exception):
    """A failure reported by quarry: `code` is the status name ("invalid input", "parse error",
    ...), `message` the one-line message, `diagnostics` the located messages (every error of every
    file for a parse error; the byte offset, line and column of invalid input). str() gives the
    message and each diagnostic on its own line, as the CLI prints them."""

    code = "internal error"

    def __init__(self, text: str, message: Optional[str] = None,
                 diagnostics: Optional[List[Diagnostic]] = None):
        super().__init__(text)
        self.message = message if message is not None else text
        self.diagnostics: List[Diagnostic] = list(diagnostics or [])

    @property
    def byte_offset(self) -> Optional[int]:
        """The byte offset of the first located diagnostic, if any (invalid UTF-8, a NUL byte)."""
        for d in self.diagnostics:
            if d.byte_offset is not None:
                return d.byte_offset
        return None


class InvalidArgumentError(Error, ValueError):
    """A bad option or argument value."""
    code = "invalid argument"


class NotFoundError(Error):
    """A missing file or name."""
    code = "not found"


class InvalidInputError(Error, ValueError):
    """Malformed input: invalid UTF-8, a NUL byte, a document date that is not ISO 8601, ..."""
    code = "invalid input"


class ParseError(Error):
    """A gazetteer, rule or grammar file has errors; see `diagnostics`."""
    code = "parse error"


class IoError(Error, OSError):
    """Reading or writing failed."""
    code = "i/o error"


class ResourceExhaustedError(Error):
    """A configured limit was exceeded (document size, matches per rule)."""
    code = "limit exceeded"


class DeadlineExceededError(Error):
    """The time budget of a document was exceeded."""
    code = "time budget exceeded"


class DataLossError(Error):
    """A saved pipeline is truncated or corrupt."""
    code = "corrupt data"


class UnimplementedError(Error):
    code = "unimplemented"


class InternalError(Error):
    code = "internal error"


_BY_CODE = {c.code: c for c in (InvalidArgumentError, NotFoundError, InvalidInputError,
                                 ParseError, IoError, ResourceExhaustedError,
                                 DeadlineExceededError, DataLossError, UnimplementedError,
                                 InternalError)}


def make_error(code: str, text: str, message: str, diagnostics: list) -> Error:
    """Builds the exception for a C++ status (called by the extension module)."""
    cls = _BY_CODE.get(code, Error)
    return cls(text, message, [Diagnostic(**d) for d in diagnostics])
