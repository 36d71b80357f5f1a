"""The API's routers, one module per area; `create_app` (apps/api/app.py) mounts them."""
