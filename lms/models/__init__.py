"""Database models; importing this package registers every table with the metadata."""
from .content import Asset, Course, Lesson, Module
from .progress import LessonProgress
from .quiz import AttemptAnswer, CourseCompletion, ModuleCompletion, Quiz, QuizAttempt
from .user import ROLES, Mission, User, UserRole

__all__ = [
    "AttemptAnswer", "Asset", "Course", "CourseCompletion", "Lesson", "LessonProgress", "Mission", "Module",
    "ModuleCompletion", "Quiz", "QuizAttempt", "ROLES", "User", "UserRole",
]
