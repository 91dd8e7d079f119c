"""Database models; importing this package registers every table with the metadata."""
from .content import Asset, Course, Lesson, Module
from .progress import LessonProgress
from .user import ROLES, Mission, User, UserRole

__all__ = ["Asset", "Course", "Lesson", "LessonProgress", "Mission", "Module", "ROLES", "User", "UserRole"]
