"""The exam engine: form assembly, the rules of a running attempt, and scaled scoring (pure Python)."""
