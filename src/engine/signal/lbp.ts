/**
 * Local binary patterns with 8 neighbours at radius 1 (the 3×3 neighbourhood of Ojala et
 * al., without interpolation): bit p is set when neighbour p is at least the centre.
 * Neighbours are numbered clockwise from the top-left: top-left 1, top 2, top-right 4,
 * right 8, bottom-right 16, bottom 32, bottom-left 64, left 128. Only pixels with a full
 * neighbourhood get a code, so the code image is (width−2) × (height−2).
 */

/**
 * LBP code image of a grey plane.
 * @param grey row-major grey values
 * @param width width of `grey`, at least 3
 * @param height height of `grey`, at least 3
 * @param out destination of (width−2)·(height−2) codes; allocated when omitted
 * @returns the codes, row-major, (width−2) per row
 */
export function lbpCodes(
  grey: Float32Array,
  width: number,
  height: number,
  out = new Uint8Array((width - 2) * (height - 2)),
): Uint8Array {
  const w = width - 2
  for (let y = 1; y < height - 1; y++) {
    const up = (y - 1) * width
    const mid = y * width
    const down = (y + 1) * width
    let o = (y - 1) * w
    for (let x = 1; x < width - 1; x++, o++) {
      const c = grey[mid + x]
      // +(a >= c) compiles to a branch-free 0/1: random textures would mispredict branches.
      out[o] =
        +(grey[up + x - 1] >= c) |
        (+(grey[up + x] >= c) << 1) |
        (+(grey[up + x + 1] >= c) << 2) |
        (+(grey[mid + x + 1] >= c) << 3) |
        (+(grey[down + x + 1] >= c) << 4) |
        (+(grey[down + x] >= c) << 5) |
        (+(grey[down + x - 1] >= c) << 6) |
        (+(grey[mid + x - 1] >= c) << 7)
    }
  }
  return out
}
