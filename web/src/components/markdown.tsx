import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * Markdown rendered as React elements (GitHub's dialect: tables, task lists, strikethrough). Raw HTML
 * in the text is not rendered and link targets other than http(s), mailto and relative ones are dropped
 * (react-markdown's defaults), so a postmortem cannot inject markup into the dashboard.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
    </div>
  );
}
