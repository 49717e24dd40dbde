"""Cases and the people in them, trafficking events, documents, the missing-person register."""
