import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Area } from '../../src-shared/domain/area';
import { ConfirmDialog, useFormErrors } from './forms';

export type Editing<T> = { readonly mode: 'create' } | { readonly mode: 'edit'; readonly item: T } | null;

/**
 * The state every list-with-a-form screen shares: which record the side form
 * edits, which one awaits delete confirmation, and what to tell the operator
 * afterwards. Deletion failures (a conflict, a record gone) are shown, not lost.
 */
export function useEditAndDelete<T>(remove: (item: T) => Promise<unknown>, mayEdit: boolean) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing<T>>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deleteErrors = useFormErrors();

  const confirmDelete = async (item: T) => {
    try {
      await remove(item);
      setNotice(t('common.deleted'));
      deleteErrors.clear();
    } catch (error) {
      deleteErrors.fromError(error);
    } finally {
      setDeleting(null);
    }
  };

  return {
    editing,
    create: () => setEditing({ mode: 'create' }),
    closeForm: () => setEditing(null),
    saved: () => {
      setEditing(null);
      setNotice(t('common.saved'));
    },
    mayEdit,
    /** The Edit and Delete buttons of one row; nothing for a user who may only look. */
    rowActions: (item: T): ReactNode =>
      mayEdit && (
        <td>
          <div className="actions">
            <button type="button" onClick={() => setEditing({ mode: 'edit', item })}>
              {t('common.edit')}
            </button>
            <button type="button" className="danger" onClick={() => setDeleting(item)}>
              {t('common.delete')}
            </button>
          </div>
        </td>
      ),
    /** The notices and the confirmation dialog, placed where the screen wants them. */
    banners: (
      <>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {deleteErrors.errors.general && (
          <p className="error-banner" role="alert">
            {deleteErrors.errors.general}
          </p>
        )}
      </>
    ),
    confirmation: (message: (item: T) => string): ReactNode =>
      deleting && (
        <ConfirmDialog
          title={t('common.confirmTitle')}
          message={message(deleting)}
          confirmLabel={t('common.delete')}
          onConfirm={() => void confirmDelete(deleting)}
          onCancel={() => setDeleting(null)}
        />
      ),
  };
}

/** The areas as options of a select, labelled the same everywhere. */
export function AreaOptions({ areas }: { areas: readonly Area[] | undefined }) {
  return (
    <>
      {areas?.map((area) => (
        <option key={area.id} value={area.id}>
          {area.code} — {area.name}
        </option>
      ))}
    </>
  );
}

/**
 * The side form of a list screen: title, main's errors, cancel and save. Main
 * validates and answers with per-field errors; the form does not second-guess
 * it. `children` receives the field messages to place beside each field.
 */
export function FormPanel({
  name,
  title,
  intro,
  save,
  onDone,
  onCancel,
  children,
}: {
  /** Names the test hooks: `${name}-form` and `save-${name}`. */
  name: string;
  title: string;
  intro?: ReactNode;
  save: () => Promise<unknown>;
  onDone: () => void;
  onCancel: () => void;
  children: (fieldErrors: Readonly<Record<string, string>>) => ReactNode;
}) {
  const { t } = useTranslation();
  const { errors, fromError, clear } = useFormErrors();
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      await save();
      clear();
      onDone();
    } catch (error) {
      fromError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      className="panel"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${name}-form-title`}
      data-testid={`${name}-form`}
    >
      <h2 id={`${name}-form-title`}>{title}</h2>
      {intro}
      {errors.general && (
        <p className="error-banner" role="alert">
          {errors.general}
        </p>
      )}
      {children(errors.fields)}
      <div className="panel__actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={saving} data-testid={`save-${name}`}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

/** The values of a closed list as options of a select, each with its translated label. */
export function EnumOptions<T extends string>({
  values,
  label,
}: {
  values: readonly T[];
  label: (value: T) => string;
}) {
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {label(value)}
        </option>
      ))}
    </>
  );
}
