"""Tallies of the status rows for the dashboard

Existing status rows get no cohorts and no tallies here: run `flask --app lms check-status --repair`
after upgrading an installation that already has enrolments (it rebuilds rows and tallies).

Revision ID: d7ebcdd7fde8
Revises: 494583f0f68c
Create Date: 2026-11-27 14:31:45.636926

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7ebcdd7fde8'
down_revision = '494583f0f68c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completion_tally',
    sa.Column('cohort_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('week_on', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_completion_tally_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'course_id', 'mission_id', 'week_on', name=op.f('pk_completion_tally'))
    )
    op.create_table('status_tally',
    sa.Column('cohort_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_status_tally_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'course_id', 'mission_id', 'state', 'due_on', name=op.f('pk_status_tally'))
    )
    op.create_table('module_tally',
    sa.Column('cohort_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_tally_module_id_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'module_id', 'mission_id', name=op.f('pk_module_tally'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohorts', sa.String(length=200), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_column('cohorts')

    op.drop_table('module_tally')
    op.drop_table('status_tally')
    op.drop_table('completion_tally')
