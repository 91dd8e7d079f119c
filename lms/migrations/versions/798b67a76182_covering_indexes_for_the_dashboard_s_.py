"""Covering indexes for the dashboard's cohort table and weekly completions

Revision ID: 798b67a76182
Revises: d7ebcdd7fde8
Create Date: 2026-11-27 16:49:08.810685

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '798b67a76182'
down_revision = 'd7ebcdd7fde8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('completion_tally', schema=None) as batch_op:
        batch_op.create_index('ix_completion_tally_weeks', ['cohort_id', 'week_on', 'course_id', 'mission_id', 'n'], unique=False)

    with op.batch_alter_table('status_tally', schema=None) as batch_op:
        batch_op.create_index('ix_status_tally_cohorts', ['cohort_id', 'state', 'due_on', 'course_id', 'mission_id', 'n'], unique=False)



def downgrade():
    with op.batch_alter_table('status_tally', schema=None) as batch_op:
        batch_op.drop_index('ix_status_tally_cohorts')

    with op.batch_alter_table('completion_tally', schema=None) as batch_op:
        batch_op.drop_index('ix_completion_tally_weeks')

