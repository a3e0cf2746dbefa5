"""The API and page routers, one per topic."""
