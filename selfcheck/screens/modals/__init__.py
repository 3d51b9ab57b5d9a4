"""Typed modal dialogs that ``dismiss`` with their result; ``escape`` closes them."""
