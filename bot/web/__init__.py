"""The web app: the service-desk agents' helpdesk (``/helpdesk``) and its JSON API (``/api``).

``bot.web.app.create_app`` builds the FastAPI application; ``bot.web.accounts`` holds the
agents, their passwords, login sessions and API tokens and imports nothing from FastAPI, so the
command line can use it.
"""
