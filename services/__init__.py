"""Use cases: rules, permissions, transactions. Messenger-agnostic: no Telegram here."""
