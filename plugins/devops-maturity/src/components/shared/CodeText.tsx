import { Fragment } from 'react';

/** Text with `backticked` parts shown as code, as the check and criterion texts are written. */
export function CodeText(props: { text: string }) {
  return (
    <>
      {props.text
        .split('`')
        .map((part, i) =>
          i % 2 ? (
            <code key={i}>{part}</code>
          ) : (
            <Fragment key={i}>{part}</Fragment>
          ),
        )}
    </>
  );
}
