"""The page's colours, shared by the charts and the typography."""

# Okabe-Ito: safe for colour blindness; the direction also shows as a sign and an arrow.
GOOD = "#0072B2"
BAD = "#D55E00"
NEUTRAL = "#7F7F7F"
THIS_PERIOD = "#0072B2"
LAST_YEAR = "#A9CCE3"
INK = "#1A1A1A"
MUTED = "#5A5A5A"
