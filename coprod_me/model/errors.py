"""Errors a user can act on. Their message says where the problem is and what to do."""

from __future__ import annotations


class DomainError(Exception):
    """A problem the user can fix; the message is shown to them as it is."""


class NotFound(DomainError):
    @classmethod
    def programme(cls, code: str) -> NotFound:
        """A programme code nothing answers to, said the same everywhere."""
        return cls(f"no programme with code '{code}'; 'coprod-me list' shows the codes")


class ValidationFailed(DomainError):
    """Several problems at once, each already phrased for the user."""

    def __init__(self, problems: list[str], headline: str | None = None) -> None:
        self.problems = list(problems)
        head = headline or f"{len(self.problems)} problem(s) found; nothing was saved"
        super().__init__(head + ":\n" + "\n".join(f"- {p}" for p in self.problems))


class LockedPeriod(DomainError):
    pass


class Cancelled(DomainError):
    """The user cancelled long work; the transaction was rolled back."""

    def __init__(self, what: str = "cancelled") -> None:
        super().__init__(f"{what}; nothing was saved")
