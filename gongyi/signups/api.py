"""API router of this app (mounted in gongyi/api.py)."""

from ninja import Router

router = Router()
