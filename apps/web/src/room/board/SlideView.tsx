/**
 * One page of the deck on stage, drawn into a canvas that fills its container (which the stage
 * sizes to the page's aspect ratio) at the screen's pixel density, so text stays sharp. PDFs go
 * through pdf.js, its worker loaded from Podium's own origin and without eval (the app's CSP allows
 * neither other origins nor eval); images are drawn as they are. The loaded document is kept while
 * the page changes, and only loaded again for another file.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useT } from '../../i18n/I18nProvider';

/** The file on stage: its id (what the cache is keyed by: a renewed link is the same file), a signed URL and its type. */
export interface SlideSource {
  fileId: string;
  url: string;
  contentType: string;
}

/** Props of SlideView. */
export interface SlideViewProps {
  source: SlideSource;
  /** 1-based page (images have one). */
  page: number;
  /** The page's size in PDF points (or image pixels), once known: the stage fits its box to it. */
  onPageSize?: (size: { width: number; height: number }) => void;
}

// Canvases larger than this many pixels are drawn at a lower density (memory on phones).
const MAX_CANVAS_PIXELS = 16_000_000;

type Loaded = { kind: 'pdf'; doc: PDFDocumentProxy } | { kind: 'image'; img: HTMLImageElement };

async function loadSource(source: SlideSource): Promise<Loaded> {
  if (source.contentType !== 'application/pdf') {
    const img = new Image();
    img.decoding = 'async';
    img.src = source.url;
    await img.decode();
    return { kind: 'image', img };
  }
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  const task = pdfjs.getDocument({
    url: source.url,
    isEvalSupported: false,
    // WebAssembly decoders would need 'wasm-unsafe-eval' in the CSP; the JavaScript ones do.
    useWasm: false,
    enableXfa: false,
    maxImageSize: 40_000_000,
  });
  return { kind: 'pdf', doc: await task.promise };
}

/** A page of a PDF or an image, fitted to its container (see file comment). */
export function SlideView({ source, page, onPageSize }: SlideViewProps) {
  const t = useT();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [loaded, setLoaded] = useState<{ key: string; value: Loaded } | null>(null);
  const [failed, setFailed] = useState(false);
  const [rendering, setRendering] = useState(true);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [attempt, setAttempt] = useState(0);
  const sizeCb = useRef(onPageSize);
  sizeCb.current = onPageSize;
  // The URL may be renewed (signed links expire) without the file changing: read it when loading only.
  const urlRef = useRef(source);
  urlRef.current = source;

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      const r = entry.contentRect;
      setSize((s) => (Math.abs(s.width - r.width) < 1 && Math.abs(s.height - r.height) < 1 ? s : { width: r.width, height: r.height }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    let cancelled = false;
    let value: Loaded | null = null;
    setFailed(false);
    setRendering(true);
    setLoaded(null);
    loadSource(urlRef.current).then(
      (v) => {
        value = v;
        if (cancelled) void (v.kind === 'pdf' && v.doc.destroy());
        else setLoaded({ key: source.fileId, value: v });
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (value?.kind === 'pdf') void value.doc.destroy();
    };
  }, [source.fileId, source.contentType, attempt]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!loaded || loaded.key !== source.fileId || !canvas || size.width < 1 || size.height < 1) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const draw = async () => {
      const v = loaded.value;
      if (v.kind === 'image') {
        sizeCb.current?.({ width: v.img.naturalWidth, height: v.img.naturalHeight });
        const scale = Math.min(1, Math.sqrt(MAX_CANVAS_PIXELS / (size.width * size.height * dpr * dpr)));
        canvas.width = Math.round(size.width * dpr * scale);
        canvas.height = Math.round(size.height * dpr * scale);
        const ctx = canvas.getContext('2d');
        ctx?.drawImage(v.img, 0, 0, canvas.width, canvas.height);
        return;
      }
      const pdfPage = await v.doc.getPage(Math.min(Math.max(1, page), v.doc.numPages));
      if (cancelled) return;
      const base = pdfPage.getViewport({ scale: 1 });
      sizeCb.current?.({ width: base.width, height: base.height });
      let scale = (size.width * dpr) / base.width;
      const pixels = base.width * base.height * scale * scale;
      if (pixels > MAX_CANVAS_PIXELS) scale *= Math.sqrt(MAX_CANVAS_PIXELS / pixels);
      const viewport = pdfPage.getViewport({ scale });
      // Draw into a spare canvas and copy at the end, so the old page stays up until the new one is ready.
      const spare = document.createElement('canvas');
      spare.width = Math.ceil(viewport.width);
      spare.height = Math.ceil(viewport.height);
      task = pdfPage.render({ canvas: spare, viewport, background: '#ffffff' });
      await task.promise;
      if (cancelled) return;
      canvas.width = spare.width;
      canvas.height = spare.height;
      canvas.getContext('2d')?.drawImage(spare, 0, 0);
    };
    setRendering(true);
    draw().then(
      () => !cancelled && setRendering(false),
      (err: unknown) => {
        if (cancelled || (err as { name?: string })?.name === 'RenderingCancelledException') return;
        setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [loaded, source.fileId, page, size]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  return (
    <div ref={boxRef} className="bd-slide" aria-busy={rendering && !failed}>
      <canvas ref={canvasRef} className="bd-slide-canvas" aria-hidden="true" />
      {rendering && !failed && (
        <div className="bd-slide-state">
          <span className="spinner" aria-hidden="true" />
          <span className="sr-only">{t('board.loading')}</span>
        </div>
      )}
      {failed && (
        <div className="bd-slide-state bd-slide-error" role="alert">
          <p>{t('board.error')}</p>
          <button type="button" className="btn btn-secondary btn-sm" onClick={retry}>
            {t('board.retry')}
          </button>
        </div>
      )}
    </div>
  );
}
