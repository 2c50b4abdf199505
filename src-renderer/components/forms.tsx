import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractCallError } from '../../src-shared/contract/errors';
import { PASSWORD_MIN_LENGTH } from '../../src-shared/domain/password';
import { FORM_FIELD } from '../../src-shared/domain/validation';
import type { FieldError } from '../../src-shared/domain/validation';

export interface FormErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly general: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

/** Turns main's answer into text next to each field, in the operator's language. */
export function useFormErrors() {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const describe = (field: FieldError) => {
    // The policy's missing rules come as codes; the operator reads them as the checklist words.
    if (field.key === 'weak_password' && typeof field.params?.missing === 'string') {
      const missing = field.params.missing
        .split(',')
        .map((rule) => t(`password.${rule.trim()}`, { min: PASSWORD_MIN_LENGTH }).toLowerCase());
      return t('validation.weak_password', { missing: missing.join(', ') });
    }
    return t(`validation.${field.key}`, { ...field.params });
  };
  const fromError = (error: unknown) => {
    if (error instanceof ContractCallError) {
      const fieldErrors = 'fields' in error.error ? (error.error.fields ?? {}) : {};
      const fields = Object.fromEntries(Object.entries(fieldErrors).map(([name, f]) => [name, describe(f)]));
      // An error about the whole form says why; otherwise the banner names the kind of failure.
      setErrors({ fields, general: fields[FORM_FIELD] ?? t(`errors.${error.error.kind}`) });
    } else {
      setErrors({ fields: {}, general: t('errors.internal') });
    }
  };
  return { errors, fromError, clear: () => setErrors(NO_ERRORS) };
}

interface FieldProps {
  readonly name: string;
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ name, label, error, hint, children }: FieldProps) {
  const id = `field-${name}`;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {error ? (
        <p className="field__error" id={`${id}-error`} role="alert" data-error-for={name}>
          {error}
        </p>
      ) : hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="overlay" role="presentation">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
      >
        <h2 id="confirm-title">{title}</h2>
        <p id="confirm-message">{message}</p>
        <div className="dialog__actions">
          <button type="button" onClick={onCancel} autoFocus>
            {t('common.cancel')}
          </button>
          <button type="button" className="danger" onClick={onConfirm} data-testid="confirm-delete">
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A labelled text input with main's message beside it. */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  type?: string;
  autoComplete?: string;
  autoFocus?: boolean;
}) {
  return (
    <Field name={props.name} label={props.label} error={props.error}>
      {(aria) => (
        <input
          {...aria}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          autoComplete={props.autoComplete}
          autoFocus={props.autoFocus}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A labelled multi-line text with main's message beside it. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  rows?: number;
  autoFocus?: boolean;
}) {
  return (
    <Field name={props.name} label={props.label} error={props.error}>
      {(aria) => (
        <textarea
          {...aria}
          name={props.name}
          rows={props.rows ?? 4}
          value={props.value}
          autoFocus={props.autoFocus}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Above a settings form: why the last save failed, or that it was saved. */
export function FormBanners({ general, saved }: { general: string | null; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {general && (
        <p className="error-banner" role="alert">
          {general}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          {t('common.saved')}
        </p>
      )}
    </>
  );
}
