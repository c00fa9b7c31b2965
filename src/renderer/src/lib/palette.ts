/**
 * The Okabe–Ito colours (without black), in the order series and coders get them: they stay
 * distinguishable for the common forms of colour blindness, on the dark theme too.
 */
export const OKABE_ITO = [
  '#56b4e9', // sky blue
  '#e69f00', // orange
  '#009e73', // bluish green
  '#f0e442', // yellow
  '#cc79a7', // reddish purple
  '#d55e00', // vermillion
  '#0072b2', // blue
] as const
