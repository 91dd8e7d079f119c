"""Indexes for the dashboard's figures, who is behind and weekly completions

Revision ID: f0c1e9e648a8
Revises: 97815dc2dd41
Create Date: 2026-11-27 13:57:00.130733

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0c1e9e648a8'
down_revision = '97815dc2dd41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index('ix_enrolment_completed', ['completed_at', 'course_id', 'mission_id'], unique=False)
        batch_op.create_index('ix_enrolment_figures', ['course_id', 'mission_id', 'state', 'due_on'], unique=False)
        batch_op.create_index('ix_enrolment_unfinished', ['due_on', 'user_id', 'course_id'], unique=False, sqlite_where=sa.text("state != 'completed'"), postgresql_where=sa.text("state != 'completed'"))



def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolment_unfinished', sqlite_where=sa.text("state != 'completed'"), postgresql_where=sa.text("state != 'completed'"))
        batch_op.drop_index('ix_enrolment_figures')
        batch_op.drop_index('ix_enrolment_completed')

