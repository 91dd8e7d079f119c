"""Quiz draw rules for question pools

Revision ID: 3c5e1f0a9b27
Revises: 798b67a76182
Create Date: 2026-11-27 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e1f0a9b27'
down_revision = '798b67a76182'
branch_labels = None
depends_on = None


def upgrade():
    # Existing quizzes have no pools: every question is asked, as before.
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('draw')
