"""Pure business rules: no Flask, no database. Everything here is testable without an app."""
