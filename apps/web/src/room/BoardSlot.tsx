import { useCallback, useEffect, useMemo, useState } from 'react';
import { can, mayEdit, type RoomModel } from '@podium/client';
import { useRoom } from './context';
import { StageBoard, type StagePatch } from './board/StageBoard';
import type { SlideSource } from './board/SlideView';
import type { RemotePointer } from './board/LaserPointer';
import type { RoomDocs } from './roomDocs';

/** A signed link for one of the event's files, fetched through the room and renewed before it expires. */
function useFileLink(fileId: string | null): string | null {
  const { conn } = useRoom();
  const [link, setLink] = useState<{ fileId: string; url: string } | null>(null);
  useEffect(() => {
    if (!fileId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const fetchLink = async (attempt = 0) => {
      try {
        const reply = await conn.request({ type: 'file-link', fileId });
        if (stopped || reply.type !== 'file-link') return;
        setLink({ fileId, url: reply.url });
        const renewIn = Math.max(60_000, Date.parse(reply.expiresAt) - Date.now() - 5 * 60_000);
        timer = setTimeout(() => void fetchLink(), renewIn);
      } catch {
        // Not connected right now (a reconnect), or refused: try again a little later.
        if (!stopped) timer = setTimeout(() => void fetchLink(attempt + 1), Math.min(15_000, 1000 * 2 ** attempt));
      }
    };
    void fetchLink();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [fileId, conn]);
  return link && link.fileId === fileId ? link.url : null;
}

/** The slides / whiteboard area of the stage: the stage board fed from the room. */
export function BoardSlot({ model, docs }: { model: RoomModel; docs: RoomDocs }) {
  const { conn, send } = useRoom();
  const stage = model.state.stage;
  const fileId = stage.content === 'slides' && stage.slides ? stage.slides.fileId : null;
  const url = useFileLink(fileId);
  const contentType = model.state.files.find((f) => f.id === fileId)?.contentType ?? 'application/pdf';
  const slide: SlideSource | null = fileId && url ? { fileId, url, contentType } : null;
  const pointers = useMemo(() => {
    const m = new Map<string, RemotePointer>();
    for (const [id, p] of Object.entries(model.pointers)) if (id !== model.self.id) m.set(id, { x: p.x, y: p.y, visible: p.visible });
    return m;
  }, [model.pointers, model.self.id]);
  const onStageChange = useCallback((patch: StagePatch) => void send({ type: 'stage-set', ...patch }), [send]);
  const onPointer = useCallback((x: number, y: number, visible: boolean) => {
    void conn.request({ type: 'pointer', x, y, visible }).catch(() => undefined);
  }, [conn]);
  return (
    <div className="rm-board" data-stage-content={stage.content} data-slide-page={stage.slides?.page ?? ''} data-whiteboard-page={stage.whiteboardPage}>
      <StageBoard
        doc={docs.board}
        stage={stage}
        slide={slide}
        me={model.self.id}
        canDraw={mayEdit(model, 'board')}
        canPresent={can(model, 'stage-set')}
        pointers={pointers}
        onStageChange={onStageChange}
        onPointer={onPointer}
      />
    </div>
  );
}
