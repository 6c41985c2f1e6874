"""Platform edges: each adapter parses its platform's events and renders the core's answers."""
