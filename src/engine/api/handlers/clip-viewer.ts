import { getClipRecord } from '../../db/queries/clip-frames'
import { CACHE_FRAMES_KIND } from '../../labelling/cache-frames-job'
import { clipDetail } from '../../labelling/clip-detail'
import { libraryPage } from '../../labelling/library-page'
import type { HandlerGroup } from './types'

/** The library's clip list and the clip viewer's data. */
export const clipViewerHandlers: HandlerGroup<'library.page' | 'clips.get' | 'clips.cacheFrames'> =
  {
    'library.page': (input, ctx) => libraryPage(ctx.db, input),
    'clips.get': (input, ctx) => clipDetail(ctx.db, input.id),
    'clips.cacheFrames': (input, ctx) => {
      for (const clipId of input.clipIds) getClipRecord(ctx.db, clipId)
      return ctx.jobs.start(CACHE_FRAMES_KIND, input)
    },
  }
