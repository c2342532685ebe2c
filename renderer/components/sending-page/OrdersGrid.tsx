import FilterAltIcon from '@mui/icons-material/FilterAlt'
import SearchIcon from '@mui/icons-material/Search'
import VisibilityIcon from '@mui/icons-material/Visibility'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import IconButton from '@mui/material/IconButton'
import InputAdornment from '@mui/material/InputAdornment'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import {
  DataGrid,
  type GridColDef,
  type GridPaginationModel,
  type GridSortModel,
} from '@mui/x-data-grid'
import { esES } from '@mui/x-data-grid/locales'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  OrderResultView,
  OutcomeReasonView,
  SendingOrderView,
} from '../../../preload/contract'
import { outcomeReasonText } from '../../i18n/outcome-reason'
import type { SendingFilter } from '../../routing/hash-routes'
import { ErrorAlert } from '../ErrorAlert'
import { accountName, formatDateTime, formatNumber } from '../format'
import { useDebouncedValue } from './use-throttled-tick'
import {
  SORTABLE_FIELDS,
  useSendingOrders,
  type OrdersQuery,
  type OrdersSortField,
} from './use-sending-orders'

export const RESULTS: readonly OrderResultView[] = [
  'created',
  'already_exists',
  'failed',
  'skipped',
  'pending',
]

export const RESULT_COLORS: Record<
  OrderResultView,
  'default' | 'info' | 'success' | 'warning' | 'error'
> = {
  pending: 'default',
  created: 'success',
  already_exists: 'info',
  failed: 'error',
  skipped: 'warning',
}

/** How long the search waits for typing to stop before asking main. */
export const SEARCH_DEBOUNCE_MS = 300
const PAGE_SIZES = [25, 50, 100]

function isSortField(field: string): field is OrdersSortField {
  return (SORTABLE_FIELDS as readonly string[]).includes(field)
}

/**
 * The search box: says what was typed once typing stops for SEARCH_DEBOUNCE_MS (its own state, so
 * a keystroke re-renders the box alone, not the grid).
 */
function SearchField({ onSearch }: { onSearch: (search: string) => void }) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const settled = useDebouncedValue(typed, SEARCH_DEBOUNCE_MS)
  useEffect(() => onSearch(settled), [settled, onSearch])
  return (
    <TextField
      size="small"
      type="search"
      label={t('sendingPage.search')}
      helperText={t('sendingPage.searchHelp')}
      value={typed}
      onChange={(event) => setTyped(event.target.value)}
      sx={{ minWidth: 280, ml: { md: 'auto !important' } }}
      slotProps={{
        input: {
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" />
            </InputAdornment>
          ),
        },
        htmlInput: { spellCheck: false, maxLength: 255 },
      }}
    />
  )
}

/** What the filter chip says: the reason and its orders, or the result alone. */
function filterText(
  t: ReturnType<typeof useTranslation>['t'],
  filter: SendingFilter,
  reasons: readonly OutcomeReasonView[],
  total: number,
): string {
  const { result, reason } = filter
  if (reason === undefined || (result !== 'skipped' && result !== 'failed'))
    return t(`outcome.filterResult.${result}`)
  const counted = reasons.find((each) => each.result === result && each.code === reason)
  return outcomeReasonText(t, result, reason, counted?.orders ?? total)
}

/**
 * A sending's orders in an MUI X DataGrid, paged and sorted by main (server-side: the grid only
 * shows the page it is given and how many rows match in all), with a result filter and a search
 * box (order id, reference or e-mail) above it. `reloadKey` going up asks for the page again.
 * The filter is the page's address (`filter`: a result, and a reason from a link), changed
 * through `onFilter`; a reason shows as a chip that removes it.
 */
export function OrdersGrid({
  sendingId,
  routed,
  reloadKey,
  filter,
  reasons,
  onFilter,
  onOpenOrder,
}: {
  sendingId: number
  /** Whether the sending routes orders to several Connectif accounts: shows each order's. */
  routed: boolean
  reloadKey: number
  filter: SendingFilter | undefined
  /** The sending's skipped and failed orders by reason, for the chip's count. */
  reasons: readonly OutcomeReasonView[]
  onFilter: (filter: SendingFilter | null) => void
  onOpenOrder: (orderId: number) => void
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const result: OrderResultView | null = filter?.result ?? null
  const reason = filter?.reason ?? null
  const [search, setSearch] = useState('')
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 })
  const [sortModel, setSortModel] = useState<GridSortModel>([])
  // A new filter or search starts from its first page.
  const [pageOf, setPageOf] = useState({ result, reason, search })
  if (pageOf.result !== result || pageOf.reason !== reason || pageOf.search !== search) {
    setPageOf({ result, reason, search })
    if (pagination.page !== 0) setPagination({ ...pagination, page: 0 })
  }

  const sortItem = sortModel[0]
  const query: OrdersQuery = {
    result,
    reason,
    search,
    page: pagination.page,
    pageSize: pagination.pageSize,
    sort:
      sortItem && sortItem.sort && isSortField(sortItem.field)
        ? { field: sortItem.field, direction: sortItem.sort }
        : null,
  }
  const orders = useSendingOrders(sendingId, query, reloadKey)

  const columns = useMemo((): GridColDef<SendingOrderView>[] => {
    const text = (value: string | number | null) =>
      value === null || value === '' ? '—' : String(value)
    const all: (GridColDef<SendingOrderView> | null)[] = [
      {
        field: 'details',
        headerName: t('sendingPage.columns.details'),
        sortable: false,
        width: 76,
        renderCell: ({ row, tabIndex }) => (
          <Tooltip title={t('sendingPage.showOrder', { id: row.orderId })}>
            <IconButton
              size="small"
              tabIndex={tabIndex}
              aria-label={t('sendingPage.showOrder', { id: row.orderId })}
              onClick={() => onOpenOrder(row.orderId)}
            >
              <VisibilityIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        ),
      },
      { field: 'orderId', headerName: t('sendingPage.columns.orderId'), width: 80 },
      {
        field: 'reference',
        headerName: t('sendingPage.columns.reference'),
        sortable: false,
        width: 124,
      },
      {
        field: 'orderDate',
        headerName: t('sendingPage.columns.orderDate'),
        width: 150,
        valueFormatter: (value: string) => formatDateTime(language, value),
      },
      {
        field: 'customerEmail',
        headerName: t('sendingPage.columns.customerEmail'),
        sortable: false,
        minWidth: 170,
        flex: 1,
      },
      {
        field: 'result',
        headerName: t('sendingPage.columns.result'),
        sortable: false,
        width: 120,
        renderCell: ({ row }) => (
          <Chip
            size="small"
            color={RESULT_COLORS[row.result]}
            variant={row.result === 'pending' ? 'outlined' : 'filled'}
            label={t(`sendingPage.results.${row.result}`)}
          />
        ),
      },
      routed
        ? {
            field: 'target',
            headerName: t('sendingPage.columns.target'),
            sortable: false,
            width: 150,
            valueFormatter: (value: string) => accountName(t, value),
          }
        : null,
      {
        field: 'httpStatus',
        headerName: t('sendingPage.columns.httpStatus'),
        sortable: false,
        width: 64,
        valueFormatter: (value: number | null) => text(value),
      },
      {
        field: 'errorCode',
        headerName: t('sendingPage.columns.errorCode'),
        sortable: false,
        width: 80,
        valueFormatter: (value: string | null) => text(value),
      },
      {
        field: 'message',
        headerName: t('sendingPage.columns.message'),
        sortable: false,
        minWidth: 150,
        flex: 1.5,
        valueFormatter: (value: string | null) => text(value),
      },
      {
        field: 'attempts',
        headerName: t('sendingPage.columns.attempts'),
        type: 'number',
        width: 84,
        valueFormatter: (value: number) => formatNumber(language, value),
      },
      {
        field: 'sentAt',
        headerName: t('sendingPage.columns.sentAt'),
        width: 150,
        valueFormatter: (value: string | null) => formatDateTime(language, value),
      },
    ]
    return all.filter((column): column is GridColDef<SendingOrderView> => column !== null)
  }, [t, language, routed, onOpenOrder])

  const localeText =
    language === 'es' ? esES.components.MuiDataGrid.defaultProps.localeText : undefined

  return (
    <>
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        sx={{ alignItems: { md: 'flex-start' }, mb: 2 }}
      >
        <ToggleButtonGroup
          size="small"
          exclusive
          color="primary"
          value={result ?? 'all'}
          onChange={(_event, value: OrderResultView | 'all' | null) => {
            if (value !== null) onFilter(value === 'all' ? null : { result: value })
          }}
          aria-label={t('sendingPage.resultFilter')}
          sx={{ flexWrap: 'wrap' }}
        >
          <ToggleButton value="all">{t('sendingPage.allResults')}</ToggleButton>
          {RESULTS.map((each) => (
            <ToggleButton key={each} value={each}>
              {t(`sendingPage.results.${each}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <SearchField onSearch={setSearch} />
      </Stack>
      {filter?.reason !== undefined ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
          <Chip
            icon={<FilterAltIcon />}
            // Not `warning`: its orange is too light for text on white (WCAG contrast).
            color={filter.result === 'failed' ? 'error' : 'primary'}
            variant="outlined"
            label={t('outcome.filterShowing', {
              what: filterText(t, filter, reasons, orders.total),
            })}
            onDelete={() => onFilter(null)}
          />
          <Button size="small" onClick={() => onFilter(null)}>
            {t('outcome.showAll')}
          </Button>
        </Stack>
      ) : null}
      <ErrorAlert error={orders.error} />
      <DataGrid
        aria-label={t('sendingPage.grid', { id: sendingId })}
        rows={orders.rows}
        getRowId={(row) => row.orderId}
        columns={columns}
        rowCount={orders.total}
        loading={orders.loading}
        paginationMode="server"
        sortingMode="server"
        filterMode="server"
        paginationModel={pagination}
        onPaginationModelChange={setPagination}
        pageSizeOptions={PAGE_SIZES}
        sortModel={sortModel}
        onSortModelChange={setSortModel}
        disableColumnFilter
        disableRowSelectionOnClick
        autoHeight
        // A page holds at most 100 rows: every cell stays in the page, for screen readers too.
        disableVirtualization
        density="compact"
        localeText={localeText}
        slots={{
          noRowsOverlay: () => (
            <Stack sx={{ height: '100%', alignItems: 'center', justifyContent: 'center' }}>
              <Typography color="text.secondary">{t('sendingPage.noOrders')}</Typography>
            </Stack>
          ),
        }}
        sx={{ bgcolor: 'background.paper' }}
      />
    </>
  )
}
