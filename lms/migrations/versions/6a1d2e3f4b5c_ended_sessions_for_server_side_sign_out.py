"""ended sessions for server-side sign-out

Revision ID: 6a1d2e3f4b5c
Revises: 3c5e1f0a9b27
Create Date: 2026-11-27 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a1d2e3f4b5c'
down_revision = '3c5e1f0a9b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_session',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_ended_session'))
    )
    with op.batch_alter_table('ended_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_session_ended_at'), ['ended_at'], unique=False)


def downgrade():
    with op.batch_alter_table('ended_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_session_ended_at'))

    op.drop_table('ended_session')
