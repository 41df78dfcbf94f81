"""A mixin for objects that hold native resources: `with obj:` closes them at the end."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """Subclasses define `close()`; the with-block calls it however the block ends."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
