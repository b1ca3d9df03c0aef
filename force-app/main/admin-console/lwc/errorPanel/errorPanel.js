import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import FRIENDLY_MESSAGE from '@salesforce/label/c.QAD_Sync_Error_Friendly';
import SHOW_DETAILS from '@salesforce/label/c.QAD_Sync_Error_Show_Details';
import HIDE_DETAILS from '@salesforce/label/c.QAD_Sync_Error_Hide_Details';

/**
 * The one place the sync components show a failure: a short message the admin can act on, with the
 * platform's own messages behind a details toggle (they are often long and technical).
 */
export default class ErrorPanel extends LightningElement {
    /** One error or a list of errors as Apex, wire adapters or UI API return them. */
    @api errors;

    /** Short message shown above the details. */
    @api friendlyMessage = FRIENDLY_MESSAGE;

    viewDetails = false;

    get errorMessages() {
        return reduceErrors(this.errors);
    }

    get hasDetails() {
        return this.errorMessages.length > 0;
    }

    get detailsToggleLabel() {
        return this.viewDetails ? HIDE_DETAILS : SHOW_DETAILS;
    }

    get detailsHidden() {
        return !this.viewDetails;
    }

    get detailsClass() {
        return this.viewDetails ? 'error-details slds-list_dotted' : 'error-details slds-hide';
    }

    get detailsExpanded() {
        return String(this.viewDetails);
    }

    handleToggleDetails() {
        this.viewDetails = !this.viewDetails;
    }
}
