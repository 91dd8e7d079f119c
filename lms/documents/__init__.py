"""Pure pieces every content format shares: problems tied to a file and line, and front matter."""
