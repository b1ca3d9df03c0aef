/**
 * Every string the console shows, as custom labels (translatable, no literals in the template).
 */
import TITLE from '@salesforce/label/c.QAD_Sync_Console_Title';
import REFRESH from '@salesforce/label/c.QAD_Sync_Refresh';
import LOADING from '@salesforce/label/c.QAD_Sync_Loading';
import SUMMARY_TITLE from '@salesforce/label/c.QAD_Sync_Summary_Title';
import SUMMARY_EMPTY from '@salesforce/label/c.QAD_Sync_Summary_Empty';
import SUMMARY_TOTAL from '@salesforce/label/c.QAD_Sync_Summary_Total';
import FILTERS_TITLE from '@salesforce/label/c.QAD_Sync_Filters_Title';
import FILTER_OBJECT from '@salesforce/label/c.QAD_Sync_Filter_Object';
import FILTER_STATUS from '@salesforce/label/c.QAD_Sync_Filter_Status';
import FILTER_FROM from '@salesforce/label/c.QAD_Sync_Filter_From';
import FILTER_TO from '@salesforce/label/c.QAD_Sync_Filter_To';
import FILTER_CLEAR from '@salesforce/label/c.QAD_Sync_Filter_Clear';
import FILTER_RANGE_INVALID from '@salesforce/label/c.QAD_Sync_Filter_Range_Invalid';
import AUDITS_TITLE from '@salesforce/label/c.QAD_Sync_Audits_Title';
import AUDITS_EMPTY from '@salesforce/label/c.QAD_Sync_Audits_Empty';
import VIEW_DETAILS from '@salesforce/label/c.QAD_Sync_Action_View_Details';
import REPLAY from '@salesforce/label/c.QAD_Sync_Action_Replay';
import REPLAY_SELECTED from '@salesforce/label/c.QAD_Sync_Replay_Selected';
import PAGE_PREVIOUS from '@salesforce/label/c.QAD_Sync_Page_Previous';
import PAGE_NEXT from '@salesforce/label/c.QAD_Sync_Page_Next';
import PAGE_OF from '@salesforce/label/c.QAD_Sync_Page_Of';
import TOTAL_ROWS from '@salesforce/label/c.QAD_Sync_Total_Rows';
import DETAIL_TITLE from '@salesforce/label/c.QAD_Sync_Detail_Title';
import DETAIL_CLOSE from '@salesforce/label/c.QAD_Sync_Detail_Close';
import DETAIL_ERROR_MESSAGE from '@salesforce/label/c.QAD_Sync_Detail_Error_Message';
import DETAIL_PAYLOAD from '@salesforce/label/c.QAD_Sync_Detail_Payload';
import DETAIL_PAYLOAD_HASH from '@salesforce/label/c.QAD_Sync_Detail_Payload_Hash';
import DETAIL_REPLAY_OF from '@salesforce/label/c.QAD_Sync_Detail_Replay_Of';
import DETAIL_REQUESTED_BY from '@salesforce/label/c.QAD_Sync_Detail_Requested_By';
import DETAIL_REQUESTED_AT from '@salesforce/label/c.QAD_Sync_Detail_Requested_At';
import DETAIL_CORRELATION_ID from '@salesforce/label/c.QAD_Sync_Detail_Correlation_Id';
import DETAIL_SALESFORCE_RECORD from '@salesforce/label/c.QAD_Sync_Detail_Salesforce_Record';
import COL_STATUS from '@salesforce/label/c.QAD_Sync_Col_Status';
import COL_OBJECT from '@salesforce/label/c.QAD_Sync_Col_Object';
import COL_DIRECTION from '@salesforce/label/c.QAD_Sync_Col_Direction';
import COL_OPERATION from '@salesforce/label/c.QAD_Sync_Col_Operation';
import COL_ATTEMPT from '@salesforce/label/c.QAD_Sync_Col_Attempt';
import COL_ERROR_CODE from '@salesforce/label/c.QAD_Sync_Col_Error_Code';
import COL_SOURCE_ID from '@salesforce/label/c.QAD_Sync_Col_Source_Id';
import COL_TARGET_ID from '@salesforce/label/c.QAD_Sync_Col_Target_Id';
import BRIDGE_TITLE from '@salesforce/label/c.QAD_Sync_Bridge_Title';
import BRIDGE_EMPTY from '@salesforce/label/c.QAD_Sync_Bridge_Empty';
import BRIDGE_CONNECTION from '@salesforce/label/c.QAD_Sync_Bridge_Connection';
import BRIDGE_STATUS from '@salesforce/label/c.QAD_Sync_Bridge_Status';
import BRIDGE_LAST_HEARTBEAT from '@salesforce/label/c.QAD_Sync_Bridge_Last_Heartbeat';
import BRIDGE_LAST_QAD_POLL from '@salesforce/label/c.QAD_Sync_Bridge_Last_QAD_Poll';
import BRIDGE_CDC_POSITION from '@salesforce/label/c.QAD_Sync_Bridge_CDC_Position';
import BRIDGE_CDC_LAST_EVENT from '@salesforce/label/c.QAD_Sync_Bridge_CDC_Last_Event';
import BRIDGE_API_BUDGET from '@salesforce/label/c.QAD_Sync_Bridge_API_Budget';
import BRIDGE_API_BUDGET_VALUE from '@salesforce/label/c.QAD_Sync_Bridge_API_Budget_Value';
import BRIDGE_LAST_ERROR from '@salesforce/label/c.QAD_Sync_Bridge_Last_Error';
import BRIDGE_VERSION from '@salesforce/label/c.QAD_Sync_Bridge_Version';
import REPLAY_REQUESTED_TITLE from '@salesforce/label/c.QAD_Sync_Replay_Requested_Title';
import REPLAY_REQUESTED_MESSAGE from '@salesforce/label/c.QAD_Sync_Replay_Requested_Message';
import REPLAY_REFUSED_SUMMARY from '@salesforce/label/c.QAD_Sync_Replay_Refused_Summary';
import REPLAY_REFUSED_MORE from '@salesforce/label/c.QAD_Sync_Replay_Refused_More';
import BLANK_KEY from '@salesforce/label/c.QAD_Sync_Blank_Key';
import STALE_BANNER_TITLE from '@salesforce/label/c.QAD_Sync_Stale_Banner_Title';
import STALE_BANNER from '@salesforce/label/c.QAD_Sync_Stale_Banner';
import BRIDGE_CDC_STATE from '@salesforce/label/c.QAD_Sync_Bridge_CDC_State';

export const LABELS = Object.freeze({
    TITLE,
    REFRESH,
    LOADING,
    SUMMARY_TITLE,
    SUMMARY_EMPTY,
    SUMMARY_TOTAL,
    FILTERS_TITLE,
    FILTER_OBJECT,
    FILTER_STATUS,
    FILTER_FROM,
    FILTER_TO,
    FILTER_CLEAR,
    FILTER_RANGE_INVALID,
    AUDITS_TITLE,
    AUDITS_EMPTY,
    VIEW_DETAILS,
    REPLAY,
    REPLAY_SELECTED,
    PAGE_PREVIOUS,
    PAGE_NEXT,
    PAGE_OF,
    TOTAL_ROWS,
    DETAIL_TITLE,
    DETAIL_CLOSE,
    DETAIL_ERROR_MESSAGE,
    DETAIL_PAYLOAD,
    DETAIL_PAYLOAD_HASH,
    DETAIL_REPLAY_OF,
    DETAIL_REQUESTED_BY,
    DETAIL_REQUESTED_AT,
    DETAIL_CORRELATION_ID,
    DETAIL_SALESFORCE_RECORD,
    COL_STATUS,
    COL_OBJECT,
    COL_DIRECTION,
    COL_OPERATION,
    COL_ATTEMPT,
    COL_ERROR_CODE,
    COL_SOURCE_ID,
    COL_TARGET_ID,
    BRIDGE_TITLE,
    BRIDGE_EMPTY,
    BRIDGE_CONNECTION,
    BRIDGE_STATUS,
    BRIDGE_LAST_HEARTBEAT,
    BRIDGE_LAST_QAD_POLL,
    BRIDGE_CDC_POSITION,
    BRIDGE_CDC_LAST_EVENT,
    BRIDGE_API_BUDGET,
    BRIDGE_API_BUDGET_VALUE,
    BRIDGE_LAST_ERROR,
    BRIDGE_VERSION,
    REPLAY_REQUESTED_TITLE,
    REPLAY_REQUESTED_MESSAGE,
    REPLAY_REFUSED_SUMMARY,
    REPLAY_REFUSED_MORE,
    BLANK_KEY,
    STALE_BANNER_TITLE,
    STALE_BANNER,
    BRIDGE_CDC_STATE
});
