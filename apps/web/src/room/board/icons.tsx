import type { ReactNode } from 'react';
import type { BoardTool } from './strokes';

const icon = (children: ReactNode) =>
  function Icon() {
    return (
      <svg viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {children}
      </svg>
    );
  };

/** The icon of each board tool. */
export const TOOL_ICONS: Record<BoardTool, () => ReactNode> = {
  pen: icon(<path d="M13.5 3.5 16.5 6.5 7 16H4v-3z M11.5 5.5l3 3" />),
  highlighter: icon(
    <>
      <path d="m12 3 5 5-6.5 6.5-5-5z" />
      <path d="M5.5 9.5 4 14l2 2 4.5-1.5M3 17.5h6" />
    </>,
  ),
  line: icon(<path d="M4 16 16 4" />),
  arrow: icon(<path d="M4 16 16 4M9 4h7v7" />),
  rect: icon(<rect x="3.5" y="5" width="13" height="10" rx="1" />),
  ellipse: icon(<ellipse cx="10" cy="10" rx="7" ry="5.5" />),
  text: icon(<path d="M4.5 5V3.5h11V5M10 3.5v13M7.5 16.5h5" />),
  eraser: icon(
    <>
      <path d="m8 16.5-4-4a1.5 1.5 0 0 1 0-2.1L10.4 4a1.5 1.5 0 0 1 2.1 0l4 4a1.5 1.5 0 0 1 0 2.1L10.6 16.5z" />
      <path d="M7 7.5 12.5 13M8 16.5h8.5" />
    </>,
  ),
  laser: icon(
    <>
      <circle cx="10" cy="10" r="2.2" fill="currentColor" />
      <path d="M10 2.5v2.5M10 15v2.5M2.5 10H5M15 10h2.5M4.7 4.7l1.8 1.8M13.5 13.5l1.8 1.8M4.7 15.3l1.8-1.8M13.5 6.5l1.8-1.8" />
    </>,
  ),
};

/** Undo (an arrow turning back). */
export const IconUndo = icon(<path d="M7.5 5 4 8.5 7.5 12M4.5 8.5h7a4.5 4.5 0 0 1 0 9H9" />);
/** Redo. */
export const IconRedo = icon(<path d="M12.5 5 16 8.5 12.5 12M15.5 8.5h-7a4.5 4.5 0 0 0 0 9H11" />);
/** A bin (clear the page). */
export const IconClear = icon(<path d="M4 6h12M8 6V4h4v2M5.5 6l.8 10.5h7.4L14.5 6M8.5 9v5M11.5 9v5" />);
/** Previous (chevron left). */
export const IconPrev = icon(<path d="m12 4.5-5.5 5.5 5.5 5.5" />);
/** Next (chevron right). */
export const IconNext = icon(<path d="m8 4.5 5.5 5.5L8 15.5" />);
/** A plus (a new page). */
export const IconPlus = icon(<path d="M10 4v12M4 10h12" />);
