/**
 * One visual vocabulary for every picture format: a shape and a colour per
 * entity category, so a data set looks the same in Mermaid, DOT, SVG and HTML.
 */
import type { EntityCategory } from '../query/classify.js';

export type NodeShape = 'cylinder' | 'parallelogram' | 'subroutine' | 'rounded' | 'hexagon' | 'stadium' | 'note' | 'rectangle';

export interface CategoryStyle {
  readonly shape: NodeShape;
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
}

export function categoryStyle(category: EntityCategory): CategoryStyle {
  switch (category) {
    case 'data-set': return { shape: 'cylinder', fill: '#dbe9f6', stroke: '#2f6ea5', text: '#10304d' };
    case 'code': return { shape: 'parallelogram', fill: '#def2dc', stroke: '#3d8b37', text: '#173d14' };
    case 'feature-group': return { shape: 'subroutine', fill: '#fde6cf', stroke: '#d9761a', text: '#5a2e05' };
    case 'job': return { shape: 'rounded', fill: '#f9dada', stroke: '#c23b3b', text: '#4d1010' };
    case 'model': return { shape: 'hexagon', fill: '#ece0f3', stroke: '#8a4fa8', text: '#371748' };
    case 'endpoint': return { shape: 'stadium', fill: '#d7f0ee', stroke: '#2f8f87', text: '#0f3835' };
    case 'image': return { shape: 'note', fill: '#eeeeee', stroke: '#6b6b6b', text: '#222222' };
    case 'other': return { shape: 'rectangle', fill: '#f5f3ef', stroke: '#8c8577', text: '#2b2925' };
  }
}
