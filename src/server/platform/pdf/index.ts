export { companyLetterhead, sendPdf } from './letterhead.js';
export {
  amountInWordsFor,
  type Letterhead,
  type PdfCell,
  type PdfColumn,
  type PdfDoc,
  type RenderOptions,
  renderPdf,
} from './pdf.js';
