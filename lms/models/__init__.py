"""Database models; importing this package registers every table with the metadata."""
from .certificate import Certificate
from .content import Asset, ContentVersion, Course, Lesson, Module, Revision
from .enrolment import CompletionTally, Enrolment, Extension, ModuleTally, StatusTally
from .org import Cohort, CohortCourse, CohortMember, CoordinatorRegion, PasswordToken, cohort_course
from .outbox import OutboxMessage
from .progress import CourseActivity, LessonProgress
from .quiz import AttemptAnswer, CourseCompletion, ModuleCompletion, Quiz, QuizAttempt
from .user import ROLES, EndedSession, Mission, User, UserRole

__all__ = [
    "ROLES",
    "Asset",
    "AttemptAnswer",
    "Certificate",
    "Cohort",
    "CohortCourse",
    "CohortMember",
    "CompletionTally",
    "ContentVersion",
    "CoordinatorRegion",
    "Course",
    "CourseActivity",
    "CourseCompletion",
    "EndedSession",
    "Enrolment",
    "Extension",
    "Lesson",
    "LessonProgress",
    "Mission",
    "Module",
    "ModuleCompletion",
    "ModuleTally",
    "OutboxMessage",
    "PasswordToken",
    "Quiz",
    "QuizAttempt",
    "Revision",
    "StatusTally",
    "User",
    "UserRole",
    "cohort_course",
]
