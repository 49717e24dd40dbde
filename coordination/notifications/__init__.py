"""In-app notifications and the e-mails that carry them."""
