"""The project's own exception types; the CLI and the app turn them into one-line messages."""


class TrainerError(Exception):
    """Base of every error the user should see as a plain message."""


class VideoError(TrainerError):
    """A video file is missing, empty, unreadable or has no frames."""


class ModelError(TrainerError):
    """The hand model is missing, corrupt or could not be fetched."""


class TechniqueError(TrainerError):
    """A technique file is unknown or invalid."""


class CalibrationError(TrainerError):
    """A calibration file or line is invalid."""


class StoreError(TrainerError):
    """The attempt store could not be read or written."""


class ComparisonError(TrainerError):
    """A reference cannot be built or two attempts cannot be compared."""


class RoutineError(TrainerError):
    """A routine file is unknown or invalid."""


class ReviewError(TrainerError):
    """A review (JSON) lacks a field or has one that cannot be read."""


class JobError(TrainerError):
    """A review job cannot be made, found, run or changed."""


class AccountError(TrainerError):
    """An account, a class or a login cannot be made, found or used."""
