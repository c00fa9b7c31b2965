/**
 * The FACS Action Unit catalogue (Ekman, Friesen & Hager 2002): every code a
 * micro-expression sheet can carry, with its FACS name and the facial region it moves.
 */

/** Where on the face (or body) an Action Unit acts. */
export type FacialRegion =
  | 'brows'
  | 'eyes'
  | 'cheeks'
  | 'nose'
  | 'mouth'
  | 'chin'
  | 'jaw'
  | 'neck'
  | 'head'
  | 'gaze'
  | 'whole'

/**
 * What kind of code it is: a facial action, a head or eye position, a gross behaviour, or a
 * visibility code (the scorer could not see part of the face).
 */
export type AuKind = 'action' | 'head' | 'eye' | 'gross' | 'visibility'

/** One catalogue entry. */
export interface AuInfo {
  /** FACS number, 1–99. */
  au: number
  /** FACS name, e.g. 'Lip Corner Puller'. */
  name: string
  region: FacialRegion
  kind: AuKind
}

const entry = (
  au: number,
  name: string,
  region: FacialRegion,
  kind: AuKind = 'action',
): AuInfo => ({
  au,
  name,
  region,
  kind,
})

/** Every known code, sorted by number. */
export const AU_CATALOGUE: readonly AuInfo[] = [
  entry(1, 'Inner Brow Raiser', 'brows'),
  entry(2, 'Outer Brow Raiser', 'brows'),
  entry(4, 'Brow Lowerer', 'brows'),
  entry(5, 'Upper Lid Raiser', 'eyes'),
  entry(6, 'Cheek Raiser', 'cheeks'),
  entry(7, 'Lid Tightener', 'eyes'),
  entry(8, 'Lips Toward Each Other', 'mouth'),
  entry(9, 'Nose Wrinkler', 'nose'),
  entry(10, 'Upper Lip Raiser', 'mouth'),
  entry(11, 'Nasolabial Deepener', 'cheeks'),
  entry(12, 'Lip Corner Puller', 'mouth'),
  entry(13, 'Sharp Lip Puller', 'mouth'),
  entry(14, 'Dimpler', 'mouth'),
  entry(15, 'Lip Corner Depressor', 'mouth'),
  entry(16, 'Lower Lip Depressor', 'mouth'),
  entry(17, 'Chin Raiser', 'chin'),
  entry(18, 'Lip Pucker', 'mouth'),
  entry(19, 'Tongue Show', 'mouth'),
  entry(20, 'Lip Stretcher', 'mouth'),
  entry(21, 'Neck Tightener', 'neck'),
  entry(22, 'Lip Funneler', 'mouth'),
  entry(23, 'Lip Tightener', 'mouth'),
  entry(24, 'Lip Pressor', 'mouth'),
  entry(25, 'Lips Part', 'mouth'),
  entry(26, 'Jaw Drop', 'jaw'),
  entry(27, 'Mouth Stretch', 'jaw'),
  entry(28, 'Lip Suck', 'mouth'),
  entry(29, 'Jaw Thrust', 'jaw'),
  entry(30, 'Jaw Sideways', 'jaw'),
  entry(31, 'Jaw Clencher', 'jaw'),
  entry(32, 'Lip Bite', 'mouth'),
  entry(33, 'Cheek Blow', 'cheeks'),
  entry(34, 'Cheek Puff', 'cheeks'),
  entry(35, 'Cheek Suck', 'cheeks'),
  entry(36, 'Tongue Bulge', 'mouth'),
  entry(37, 'Lip Wipe', 'mouth'),
  entry(38, 'Nostril Dilator', 'nose'),
  entry(39, 'Nostril Compressor', 'nose'),
  entry(40, 'Sniff', 'nose', 'gross'),
  entry(41, 'Lid Droop', 'eyes'),
  entry(42, 'Slit', 'eyes'),
  entry(43, 'Eyes Closed', 'eyes'),
  entry(44, 'Squint', 'eyes'),
  entry(45, 'Blink', 'eyes'),
  entry(46, 'Wink', 'eyes'),
  entry(50, 'Speech', 'mouth', 'gross'),
  entry(51, 'Head Turn Left', 'head', 'head'),
  entry(52, 'Head Turn Right', 'head', 'head'),
  entry(53, 'Head Up', 'head', 'head'),
  entry(54, 'Head Down', 'head', 'head'),
  entry(55, 'Head Tilt Left', 'head', 'head'),
  entry(56, 'Head Tilt Right', 'head', 'head'),
  entry(57, 'Head Forward', 'head', 'head'),
  entry(58, 'Head Back', 'head', 'head'),
  entry(61, 'Eyes Turn Left', 'gaze', 'eye'),
  entry(62, 'Eyes Turn Right', 'gaze', 'eye'),
  entry(63, 'Eyes Up', 'gaze', 'eye'),
  entry(64, 'Eyes Down', 'gaze', 'eye'),
  entry(65, 'Walleye', 'gaze', 'eye'),
  entry(66, 'Cross-eye', 'gaze', 'eye'),
  entry(68, 'Upward Rolling of Eyes', 'gaze', 'eye'),
  entry(69, 'Eyes Positioned to Look at Other Person', 'gaze', 'eye'),
  entry(70, 'Brows and Forehead Not Visible', 'brows', 'visibility'),
  entry(71, 'Eyes Not Visible', 'eyes', 'visibility'),
  entry(72, 'Lower Face Not Visible', 'mouth', 'visibility'),
  entry(73, 'Entire Face Not Visible', 'whole', 'visibility'),
  entry(74, 'Unscorable', 'whole', 'visibility'),
  entry(80, 'Swallow', 'neck', 'gross'),
  entry(81, 'Chewing', 'jaw', 'gross'),
  entry(82, 'Shoulder Shrug', 'whole', 'gross'),
  entry(84, 'Head Shake Back and Forth', 'head', 'gross'),
  entry(85, 'Head Nod Up and Down', 'head', 'gross'),
  entry(91, 'Flash', 'whole', 'gross'),
  entry(92, 'Partial Flash', 'whole', 'gross'),
  entry(97, 'Shiver/Tremble', 'whole', 'gross'),
  entry(98, 'Fast Up-Down Look', 'gaze', 'gross'),
]

const BY_NUMBER = new Map(AU_CATALOGUE.map((info) => [info.au, info]))

/** The catalogue entry of an AU number, or undefined when FACS has no such code. */
export function auInfo(au: number): AuInfo | undefined {
  return BY_NUMBER.get(au)
}

/** Whether FACS defines this code. */
export function isKnownAu(au: number): boolean {
  return BY_NUMBER.has(au)
}

/** A short display name: 'AU12 Lip Corner Puller' (or 'AU3' for a code FACS lacks). */
export function auDisplayName(au: number): string {
  const info = BY_NUMBER.get(au)
  return info ? `AU${au} ${info.name}` : `AU${au}`
}
