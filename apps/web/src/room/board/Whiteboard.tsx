import { AnnotationLayer, type AnnotationLayerProps } from './AnnotationLayer';
import { whiteboardPageKey } from './strokes';

/** The aspect ratio of whiteboard pages (the shape of a typical slide and screen). */
export const WHITEBOARD_ASPECT = 16 / 9;

/** Props of Whiteboard: the annotation layer's, with a page number instead of a page key. */
export interface WhiteboardProps extends Omit<AnnotationLayerProps, 'page' | 'aspect'> {
  /** 1-based whiteboard page. */
  page: number;
}

/** A blank white page with the drawings of whiteboard page `page`. */
export function Whiteboard({ page, ...layer }: WhiteboardProps) {
  return (
    <div className="bd-whiteboard">
      <AnnotationLayer {...layer} page={whiteboardPageKey(page)} aspect={WHITEBOARD_ASPECT} />
    </div>
  );
}
