"""The venue workspace pages under /partner/. Presentation only: writes go through actions."""
