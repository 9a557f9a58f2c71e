"""Speed-ups, fenced: each says its measured gain; everything works without them."""
